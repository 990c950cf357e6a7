"""Thread setup shared by the PyTorch peers in scripts/ (torch_train_peer.py, sac_update_peer.py):
torch's intra-op threads and OpenBLAS's own, as ../shared/bench/torch_cem_peer.py sets them."""
import ctypes

import torch


def set_threads(n):
    """torch.set_num_threads(n) and, when OpenBLAS is the BLAS, openblas_set_num_threads(n)."""
    torch.set_num_threads(n)
    for lib in ("libopenblas.so.0", "libblas.so.3"):
        try:
            ctypes.CDLL(lib).openblas_set_num_threads(n)
            return
        except (OSError, AttributeError):
            pass
