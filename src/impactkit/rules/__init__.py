"""The rules of social return: the obligation, the value of every contribution, the explanations.

Pure logic over exact numbers: no files, no terminal, no pandas.
"""
