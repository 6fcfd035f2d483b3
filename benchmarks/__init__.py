"""Scripts that measure the Exchange, printing ratios against a baseline measured in the same run."""
