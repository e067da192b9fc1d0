// Flatten: {C, H, W} → {C·H·W}; rows are already channel-major, so values pass through unchanged both ways.
#include "nn/flatten.hpp"

#include <gtest/gtest.h>

#include "nn/conv2d.hpp"
#include "nn/dense.hpp"
#include "nn/model.hpp"

namespace actlab::nn {
namespace {

TEST(Flatten, RenamesTheShape) {
  Flatten<float> f({{3, 4, 5}});
  EXPECT_EQ(f.in_shape(), (Shape{{3, 4, 5}}));
  EXPECT_EQ(f.out_shape(), (Shape{{60}}));
  EXPECT_EQ(f.type(), "flatten");
  EXPECT_TRUE(f.params().empty());
  EXPECT_EQ(f.to_json(), (Json{{"type", "flatten"}}));
  EXPECT_EQ(f.to_double()->out_shape(), (Shape{{60}}));
}

TEST(Flatten, ValuesAndGradientsPassThrough) {
  Flatten<float> f({{2, 2, 2}});
  MatrixF x(2, 8), y, dy(2, 8), dx;
  for (int i = 0; i < 16; ++i) {
    x.data()[i] = static_cast<float>(i) - 7.5f;
    dy.data()[i] = static_cast<float>(i * i);
  }
  Rng rng(0);
  f.forward(x, y, Mode::kTrain, rng);
  EXPECT_EQ(y, x);
  f.backward(x, y, dy, &dx);
  EXPECT_EQ(dx, dy);
  f.backward(x, y, dy, nullptr);  // no dx wanted: nothing to do
}

TEST(Flatten, ChainsAConvolutionIntoADenseLayer) {
  Model<float> m({{1, 4, 4}});
  ASSERT_TRUE(m.add(Conv2d<float>::make(m.output_shape(), 2, 3)).is_ok());  // → {2, 2, 2}
  ASSERT_TRUE(m.add(std::make_unique<Flatten<float>>(m.output_shape())).is_ok());
  EXPECT_EQ(m.output_shape(), (Shape{{8}}));
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(8, 3)).is_ok());
  // Without flatten the dense layer does not fit the image shape.
  Model<float> bad({{1, 4, 4}});
  EXPECT_FALSE(bad.add(std::make_unique<Dense<float>>(16, 3)).is_ok());
}

}  // namespace
}  // namespace actlab::nn
