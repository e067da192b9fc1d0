"""Fashion-MNIST from Debian's dataset-fashion-mnist, for the PyTorch sides of the bench/compare scripts."""
import gzip

import numpy as np

FM = "/usr/share/datasets/fashion-mnist"


def idx(path):
    """An IDX(.gz) file as a uint8 array of its own shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(part):
    """The `part` ("train" or "t10k") images as float64 rows of 784 pixels in [0, 1], and their labels."""
    x = idx(f"{FM}/{part}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64) / 255.0
    return x, idx(f"{FM}/{part}-labels-idx1-ubyte.gz").astype(np.int64)
