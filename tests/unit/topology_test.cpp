#include "netns/ifindex.h"

#include <boost/test/unit_test.hpp>

#include <climits>
#include <stdexcept>

using namespace xdplab;

BOOST_AUTO_TEST_SUITE(ifindex)

BOOST_AUTO_TEST_CASE(layout_and_round_trip)
{
	BOOST_TEST(run_slot(0xabcdefu) == 0x5efu);
	BOOST_TEST(run_slot(0xfff800u) == 0u);
	BOOST_TEST(harness_ifindex(0, 1, 0) == 0x10000020);
	BOOST_TEST(harness_ifindex(2, 3, 1) == 0x10000000 + (2 << 17) + (3 << 5) + 1);
	int top = harness_ifindex(2047, 4095, 31);
	BOOST_TEST(top == 0x1fffffff);
	BOOST_TEST(top < INT_MAX);
	for (uint32_t slot : {0u, 1u, 1024u, 2047u})
		for (uint32_t c : {1u, 2u, 4094u, 4095u})
			for (unsigned k : {0u, 1u, 30u, 31u}) {
				auto d = decode_harness_ifindex(harness_ifindex(slot, c, k));
				BOOST_REQUIRE(d);
				BOOST_TEST(std::get<0>(*d) == slot);
				BOOST_TEST(std::get<1>(*d) == c);
				BOOST_TEST(std::get<2>(*d) == k);
			}
}

BOOST_AUTO_TEST_CASE(bounds)
{
	BOOST_CHECK_THROW(harness_ifindex(0, 0, 0), std::out_of_range);
	BOOST_CHECK_THROW(harness_ifindex(0, 4096, 0), std::out_of_range);
	BOOST_CHECK_THROW(harness_ifindex(0, 1, 32), std::out_of_range);
	BOOST_CHECK_THROW(harness_ifindex(2048, 1, 0), std::out_of_range);
	BOOST_CHECK_NO_THROW(harness_ifindex(run_slot(0xffffffu), 4095, 31));
}

BOOST_AUTO_TEST_CASE(kernel_indexes_are_not_ours)
{
	for (int i : {0, 1, 2, 4, 1000, 0x0fffffff, 0x20000000, INT_MAX, -1})
		BOOST_TEST(!is_harness_ifindex(i), i);
	// Case 0 is never handed out, so its range is not ours either.
	BOOST_TEST(!is_harness_ifindex(0x10000000));
	BOOST_TEST(!is_harness_ifindex(0x10000000 + (5 << 17) + 31));
	BOOST_TEST(is_harness_ifindex(harness_ifindex(5, 1, 0)));
	BOOST_TEST(is_harness_ifindex(0x1fffffff));
}

BOOST_AUTO_TEST_SUITE_END()
