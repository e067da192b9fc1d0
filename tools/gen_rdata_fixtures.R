#!/usr/bin/env Rscript
# Small R data files for tests/data/rdata_test.cpp and frame_test.cpp, written by R itself: every column kind
# the reader takes, with NAs, in the formats R writes (docs/data.md, "R data files").
#
#   cd tests/golden/rdata && Rscript ../../../tools/gen_rdata_fixtures.R
#
# kinds.rda    workspace (format 2, uncompressed): data frames `kinds` and `second`, and a function (skipped)
# kinds3.rda   the same objects, format 3 (R >= 3.5's default), xz-compressed
# second3.rda  `second` alone, format 3 uncompressed (its column a = 1:3 is stored as an ALTREP sequence)
# kinds.rds    `kinds` alone, saveRDS (format 3, gzip)
# matrix.rds   a 4 x 2 numeric matrix with column names
# bz.rda       `kinds`, bzip2-compressed
kinds <- data.frame(
  num = c(1.5, NA, -2.25, 1e300, 0),
  int = c(1L, 2L, NA, -7L, 2147483647L),
  lgl = c(TRUE, FALSE, NA, TRUE, TRUE),
  fac = factor(c("b", "a", NA, "c", "b"), levels = c("c", "b", "a")),
  ord = factor(c("lo", "hi", "mid", NA, "lo"), levels = c("lo", "mid", "hi"), ordered = TRUE),
  chr = c("x", NA, "zz", "", "w"),
  target = factor(c("yes", "no", "yes", "no", "yes")),
  stringsAsFactors = FALSE)
second <- data.frame(a = 1:3, b = c(0.5, 0.25, 0.125))
f <- function(x) x
save(kinds, second, f, file = "kinds.rda", version = 2, compress = FALSE)
save(kinds, second, f, file = "kinds3.rda", version = 3, compress = "xz")
save(second, file = "second3.rda", version = 3, compress = FALSE)  # 1:3 is an ALTREP compact_intseq
saveRDS(kinds, file = "kinds.rds")
m <- matrix(c(1, 2, 3, 4, 5, 6, 7, 8), nrow = 4, dimnames = list(NULL, c("p", "q")))
saveRDS(m, file = "matrix.rds", compress = FALSE)
save(kinds, file = "bz.rda", compress = "bzip2")
