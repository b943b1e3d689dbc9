"""``make bench``: how long the annual cycle takes, stage by stage (issue #7).

Kept apart from the tests on purpose: nothing here asserts a time; it measures and reports.
"""
