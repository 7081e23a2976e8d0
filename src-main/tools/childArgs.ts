/** A required `--name value` argument of a crash-test child process (invoice-crash-child, reissue-crash-child). */
export function arg(name: string): string {
  const i = process.argv.indexOf(name)
  const v = i >= 0 ? process.argv[i + 1] : undefined
  if (v === undefined) throw new Error(`missing ${name}`)
  return v
}
