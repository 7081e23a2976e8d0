import { notifications } from '@mantine/notifications'
import { asAppError } from '../api/invoke'

const TITLES: Record<string, string> = {
  VALIDATION: 'Check the form',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Not possible right now',
  FORBIDDEN: 'Not allowed',
  UNAUTHORIZED: 'Access key missing',
  SETUP_REQUIRED: 'Setup required',
  DB_CORRUPT: 'Database damaged',
  DB_LOCKED: 'Data folder in use',
  DB_VERSION: 'Database version problem',
  UNKNOWN_CHANNEL: 'Unknown request',
  IO: 'Disk problem — nothing was changed',
  INTERNAL: 'Something went wrong'
}

export function notifyError(e: unknown): void {
  const err = asAppError(e)
  notifications.show({
    color: 'red',
    title: TITLES[err.code] ?? 'Error',
    message: err.message,
    autoClose: 10_000,
    withBorder: true
  })
}

export function notifySuccess(title: string, message?: string): void {
  notifications.show({ color: 'teal', title, message: message ?? '', autoClose: 5_000, withBorder: true })
}
