-- Stored invoice documents and the company logo (issue 10 item 5; docs/invoices-pdf.md).
--
-- invoice_documents: the PDFs of an invoice, one row per version. The newest (superseded_at IS
-- NULL) is the current document; a version is never changed or deleted except to be marked
-- superseded when a newer one replaces it (a payment applied, the amount due reduced, a status
-- change, a void, a regeneration with the same number): what was printed stays readable.
-- `fingerprint` is a hash of what the document prints about the invoice (docs/invoices-pdf.md):
-- a request finds the current version still right when the fingerprint matches.
CREATE TABLE invoice_documents (
  id               INTEGER PRIMARY KEY,
  invoice_id       INTEGER NOT NULL REFERENCES invoices (id),
  version          INTEGER NOT NULL CHECK (version >= 1),
  fingerprint      TEXT NOT NULL,
  status           TEXT NOT NULL, -- the invoice status printed on this version
  amount_due_minor INTEGER NOT NULL, -- the amount due printed on this version
  created_at       TEXT NOT NULL,
  superseded_at    TEXT,
  pdf              BLOB NOT NULL,
  UNIQUE (invoice_id, version)
);
CREATE UNIQUE INDEX invoice_documents_current ON invoice_documents (invoice_id) WHERE superseded_at IS NULL;
CREATE TRIGGER invoice_documents_no_delete BEFORE DELETE ON invoice_documents BEGIN SELECT RAISE(ABORT, 'invoice documents are kept'); END;
CREATE TRIGGER invoice_documents_keep_pdf BEFORE UPDATE OF pdf, fingerprint, version, invoice_id, status, amount_due_minor, created_at ON invoice_documents
BEGIN SELECT RAISE(ABORT, 'a stored invoice document is never changed'); END;

-- The company logo printed on invoices and receipts (Settings). One row at most; checked in the
-- main process (PNG or JPEG, at most 512 KB) before it is stored.
CREATE TABLE company_logo (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  type       TEXT NOT NULL CHECK (type IN ('png', 'jpeg')),
  file_name  TEXT NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  bytes      BLOB NOT NULL,
  updated_at TEXT NOT NULL
);
