enum SolverPlaceholder {}
