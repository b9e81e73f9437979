"""From article text to candidate claims, and how well that matches what reviewers found."""
