// The sampler's random numbers: xoshiro256** seeded through splitmix64, and our own conversion
// to a uniform double. Both are integer arithmetic plus one exact scaling, so a seed gives the
// same numbers with every compiler, standard library and CPU (std's distributions do not).
#pragma once

#include <array>
#include <cstdint>

namespace inhouse::sampling {

// One step of splitmix64 (Steele, Lea, Flood 2014): advances `state` and returns a mixed value.
// Used to spread a 64-bit seed over xoshiro's 256-bit state, as its authors recommend.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t mixed = state;
    mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ULL;
    mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBULL;
    return mixed ^ (mixed >> 31);
}

// xoshiro256** (Blackman and Vigna 2018): 256 bits of state, period 2^256 - 1.
class Rng {
public:
    using State = std::array<std::uint64_t, 4>;

    explicit constexpr Rng(std::uint64_t seed) : state_{} {
        std::uint64_t seeder = seed;
        for (std::uint64_t& word : state_) {
            word = splitmix64_next(seeder);
        }
    }

    // Starts from a raw state, for checking against the published reference outputs.
    // Precondition: not all four words are zero (that state is a fixed point).
    static constexpr Rng from_state(const State& state) {
        Rng rng(0);
        rng.state_ = state;
        return rng;
    }

    constexpr std::uint64_t next_u64() {
        const std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
        const std::uint64_t shifted = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= shifted;
        state_[3] = rotate_left(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1) on the grid k * 2^-53: the top 53 bits become the mantissa exactly.
    constexpr double next_unit_double() {
        return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
    }

private:
    static constexpr std::uint64_t rotate_left(std::uint64_t value, int bits) {
        return (value << bits) | (value >> (64 - bits));
    }

    State state_;
};

}  // namespace inhouse::sampling
