"""StrikeWatch benchmarks: ``python -m bench [--quick|--full]`` (``make bench``).

Every figure is printed next to a baseline measured in the same run, with their ratio, because the
machine is shared and noisy: the ratios travel between runs, the absolute numbers do not.
"""
