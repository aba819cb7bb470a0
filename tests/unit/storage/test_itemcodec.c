#include "harness.h"
#include "storage/itemcodec.h"
