#include "distributed/version.hpp"
