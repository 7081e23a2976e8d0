-- The life-cycle scheduler runs every minute (and at start-up) over every customer; these partial
-- indexes hold only the few rows it can act on, so each run is two small index range scans.

-- Provisionally terminated customers, by the end of their reactivation period.
CREATE INDEX customers_reactivation_due ON customers (reactivation_deadline)
  WHERE lifecycle = 'provisionally-terminated';

-- Suspensions lifted by an administrator, by the end of the lift.
CREATE INDEX customers_lift_due ON customers (suspension_lifted_until)
  WHERE suspension_lifted_until IS NOT NULL;
