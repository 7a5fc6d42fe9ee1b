"""Load harness: measures Deskbridge against its targets, side by side with baselines."""
