// A user's catalog file over the bundled catalog: an entry with the same key replaces the
// bundled one, any other is added (hardware by name, API prices by provider and model).
#pragma once

#include <algorithm>
#include <vector>

namespace inhouse::plan {

template <class Entry, class KeyOf>
void merge_entries(std::vector<Entry>& bundled, const std::vector<Entry>& user, KeyOf key_of) {
    for (const Entry& entry : user) {
        auto it = std::find_if(bundled.begin(), bundled.end(),
                               [&](const Entry& known) { return key_of(known) == key_of(entry); });
        if (it != bundled.end()) {
            *it = entry;
        } else {
            bundled.push_back(entry);
        }
    }
}

}  // namespace inhouse::plan
