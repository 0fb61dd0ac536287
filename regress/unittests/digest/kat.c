/* kat.c: the known-answer file reader shared with the key tests. */
#include "../key/kat.c"
