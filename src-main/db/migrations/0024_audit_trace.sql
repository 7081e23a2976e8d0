-- Traces from an invoice (issue 12, item 4; docs/audit.md "Traces"): the entries whose source is
-- the invoice (issued, payments applied, status changes) or a reduction's credit of it, read
-- without walking the customer's whole history. Partial: only those two sources are indexed, so
-- the index stays small next to a million entries.
CREATE INDEX audit_invoice_source ON audit_log (source_kind, source_id) WHERE source_kind = 'invoice' OR source_kind = 'manual-credit';
