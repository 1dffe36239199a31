"""The staff dashboard (Dash), served under /dashboard/."""
