"""Job shadowing's pages: the offers (public), the applications and agreements, the hosts' and
the agency team's pages."""
