"""What every vendor sandbox shares: faults, the request log, the control API, the runner."""
