"""`acv`: the command line, a thin shell over the same calls as the service and the batch.

May import: any package.
"""
