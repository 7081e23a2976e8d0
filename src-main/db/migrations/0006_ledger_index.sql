-- A customer's money records (not usage), newest first, for the Balance & credits tab: busy
-- customers have hundreds of thousands of usage records that this index leaves out.
CREATE INDEX xdrs_customer_money ON xdrs (customer_id, id) WHERE kind <> 'usage';
