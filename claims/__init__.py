"""The seed pack: claims of the week-7 exercise sheet (ConvNets, RNNs, gradient flow, multi-task learning)."""

from claims import ex1, ex2

CLAIMS = (*ex1.CLAIMS, *ex2.CLAIMS)
