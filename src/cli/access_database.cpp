#include "cli/access_database.h"

#include "core/file_util.h"
#include "store/model_store.h"

namespace inhouse::cli {

Result<std::unique_ptr<access::AccessDb>> open_access_db() {
    const std::string home = store::ModelStore::default_home();
    INHOUSE_RETURN_IF_ERROR(make_directories(home));
    return access::AccessDb::open(access::AccessDb::path_in(home));
}

}  // namespace inhouse::cli
