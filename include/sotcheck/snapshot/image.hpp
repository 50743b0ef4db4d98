#pragma once
/// The snapshot image, both sides: building (image_build.hpp) and reading
/// (image_view.hpp). Code that only reads an image (checks, reports)
/// includes image_view.hpp.

#include "sotcheck/snapshot/image_build.hpp"
#include "sotcheck/snapshot/image_view.hpp"
