"""How the work runs: cores, the garbage collector, the build cache, progress lines."""
