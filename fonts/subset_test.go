package fonts

import "time"

var fixedTime = time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)
