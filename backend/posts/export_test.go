package posts_test

import "errors"

var errorsIs = errors.Is
