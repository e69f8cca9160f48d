# This file only has comments.
# BuildKit: file with no instructions
#
