"""Exercise 3 (RNNs for language models): bigram limits, the counter construction, the trigram construction."""

from proofs.claims.ex3 import bigram, counter, output, trigram

CLAIMS = (*bigram.CLAIMS, *counter.CLAIMS, *output.CLAIMS[:5], *trigram.CLAIMS, *output.CLAIMS[5:])
