-- Payments applied to invoices (issue 10, item 2) and the customer list's "Has overdue invoice"
-- filter. Each customer carries how many of its invoices are Overdue, kept by triggers on
-- invoices whatever writes them (the overdue transition, payments, refunds, re-issue), so the
-- in-memory customer list learns of it through the row_version triggers (migration 0002).
ALTER TABLE customers ADD COLUMN overdue_invoices INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET overdue_invoices = (SELECT count(*) FROM invoices i WHERE i.customer_id = customers.id AND i.status = 'overdue');

CREATE TRIGGER invoices_overdue_on_insert AFTER INSERT ON invoices WHEN NEW.status = 'overdue' BEGIN
  UPDATE customers SET overdue_invoices = overdue_invoices + 1 WHERE id = NEW.customer_id;
END;
CREATE TRIGGER invoices_overdue_on_update AFTER UPDATE OF status ON invoices
  WHEN (OLD.status = 'overdue') <> (NEW.status = 'overdue') BEGIN
  UPDATE customers SET overdue_invoices = overdue_invoices + (CASE WHEN NEW.status = 'overdue' THEN 1 ELSE -1 END) WHERE id = NEW.customer_id;
END;

