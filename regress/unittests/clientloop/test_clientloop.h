/* The parts of the clientloop unit tests. */
#ifndef KEEL_TEST_CLIENTLOOP_H
#define KEEL_TEST_CLIENTLOOP_H

void test_escape(void);
void test_loop(void);
void test_tty(void);

#endif /* KEEL_TEST_CLIENTLOOP_H */
