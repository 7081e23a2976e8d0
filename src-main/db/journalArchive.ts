export const ARCHIVE_DIR = 'journal-archive'
