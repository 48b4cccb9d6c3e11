"""The trace from inputs to goals: goal suggestions for inputs."""
