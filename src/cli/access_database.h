// The access database of this $INHOUSE_HOME (keys and usage), shared by `keys`, `usage` and
// `serve`.
#pragma once

#include <memory>

#include "access/access_db.h"
#include "core/result.h"

namespace inhouse::cli {

Result<std::unique_ptr<access::AccessDb>> open_access_db();

}  // namespace inhouse::cli
