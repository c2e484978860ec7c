#define BOOST_TEST_MODULE xdplab unit tests
#include <boost/test/unit_test.hpp>
