"""Plausible wrong answers, written as a hurried attendee would write them.

Each lesson module maps an exercise id to {what is wrong: the code that replaces
the exercise's solution region}. Every one must fail its check.
"""
