"""Exercise 5 (more exploding RNN): the gradient as a product of Jacobians, its norm bound, orthogonal W, ReLU."""

from proofs.claims.ex5.gradient import (FORMULAS, gradient_product, gradient_product_corrected,  # noqa: F401
                                        true_gradient)
from proofs.claims.ex5.norms import (cayley_orthogonal, lemma_matrix_vector, lemma_orthogonal, lemma_transpose,  # noqa: F401
                                     norm_bound, norm_bound_corrected, norm_equality, norm_equality_corrected)
from proofs.claims.ex5.orthogonal import orthogonal_simplification
from proofs.claims.ex5.relu import (bound_allows_vanishing, killed_layer_gradient,  # noqa: F401
                                    relu_bound, relu_D_norm)

__all__ = ["CLAIMS", "FORMULAS", "true_gradient", "cayley_orthogonal"]

CLAIMS = (
    gradient_product,
    gradient_product_corrected,
    norm_equality,
    norm_equality_corrected,
    norm_bound,
    norm_bound_corrected,
    lemma_matrix_vector,
    lemma_transpose,
    orthogonal_simplification,
    lemma_orthogonal,
    relu_D_norm,
    killed_layer_gradient,
    relu_bound,
    bound_allows_vanishing,
)
