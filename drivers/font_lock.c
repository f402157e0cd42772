#include "font_lock.h"

#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

void font_lock(void) { pthread_mutex_lock(&mu); }
void font_unlock(void) { pthread_mutex_unlock(&mu); }
