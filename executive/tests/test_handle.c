/* Unit tests for handle tables and rights (ob/handle.c, ob/object.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ob.h"

void *kzalloc(size_t n);
void kfree(void *p);

typedef struct thing {
    ob_header_t hdr;
    int *destroyed;
    int *last_closed;
} thing_t;

static void thing_destroy(ob_header_t *o)
{
    thing_t *t = container_of(o, thing_t, hdr);
    (*t->destroyed)++;
    kfree(t);
}

static void thing_last_closed(ob_header_t *o)
{
    (*container_of(o, thing_t, hdr)->last_closed)++;
}

static const ob_type_t thing_type = {
    .name = "Thing",
    .valid_rights = H_QUERY | H_READ | H_WRITE | H_DUPLICATE,
    .destroy = thing_destroy,
    .last_handle_closed = thing_last_closed,
};
static const ob_type_t other_type = {
    .name = "Other", .valid_rights = H_ALL, .destroy = thing_destroy};

static thing_t *new_thing(int *destroyed, int *closed)
{
    thing_t *t = kzalloc(sizeof(*t));
    ob_init(&t->hdr, &thing_type);
    t->destroyed = destroyed;
    t->last_closed = closed;
    return t;
}

static void test_create_lookup_close(void **state)
{
    handle_table_t ht;
    int destroyed = 0, closed = 0;
    thing_t *t = new_thing(&destroyed, &closed);
    handle_t h;
    ob_header_t *o = NULL;

    (void)state;
    handle_table_init(&ht, 16);
    assert_int_equal(handle_create(&ht, &t->hdr, H_QUERY | H_READ, &h), ST_OK);
    assert_int_not_equal(h, HANDLE_NONE);
    ob_unref(&t->hdr); /* only the handle keeps it now */
    assert_int_equal(destroyed, 0);

    assert_int_equal(handle_lookup(&ht, h, &thing_type, H_READ, &o), ST_OK);
    assert_ptr_equal(o, &t->hdr);
    ob_unref(o);
    assert_int_equal(handle_lookup(&ht, h, &thing_type, H_WRITE, &o), ST_ACCESS_DENIED);
    assert_int_equal(handle_lookup(&ht, h, &other_type, 0, &o), ST_WRONG_TYPE);
    assert_int_equal(handle_lookup(&ht, h, NULL, 0, &o), ST_OK);
    ob_unref(o);

    assert_int_equal(handle_close(&ht, h), ST_OK);
    assert_int_equal(closed, 1);
    assert_int_equal(destroyed, 1);
    assert_int_equal(handle_close(&ht, h), ST_INVALID_HANDLE);
    assert_int_equal(handle_lookup(&ht, h, NULL, 0, &o), ST_INVALID_HANDLE);
    handle_table_destroy(&ht);
}

static void test_bad_handle_values(void **state)
{
    handle_table_t ht;
    ob_header_t *o = NULL;

    (void)state;
    handle_table_init(&ht, 16);
    assert_int_equal(handle_lookup(&ht, 0, NULL, 0, &o), ST_INVALID_HANDLE);
    assert_int_equal(handle_lookup(&ht, 1, NULL, 0, &o), ST_INVALID_HANDLE);
    assert_int_equal(handle_lookup(&ht, 0xffffffffu, NULL, 0, &o), ST_INVALID_HANDLE);
    assert_int_equal(handle_close(&ht, 12345), ST_INVALID_HANDLE);
    handle_table_destroy(&ht);
}

static void test_stale_handle_after_reuse(void **state)
{
    handle_table_t ht;
    int d = 0, c = 0;
    thing_t *a = new_thing(&d, &c), *b = new_thing(&d, &c);
    handle_t ha, hb;
    ob_header_t *o = NULL;

    (void)state;
    handle_table_init(&ht, 16);
    assert_int_equal(handle_create(&ht, &a->hdr, H_QUERY, &ha), ST_OK);
    assert_int_equal(handle_close(&ht, ha), ST_OK);
    assert_int_equal(handle_create(&ht, &b->hdr, H_QUERY, &hb), ST_OK);
    /* Same slot, new generation: the old value must not reach b. */
    assert_int_equal(ha & 0xffff, hb & 0xffff);
    assert_int_not_equal(ha, hb);
    assert_int_equal(handle_lookup(&ht, ha, NULL, 0, &o), ST_INVALID_HANDLE);
    ob_unref(&a->hdr);
    ob_unref(&b->hdr);
    handle_table_destroy(&ht);
    assert_int_equal(d, 2);
}

static void test_rights_are_masked_by_type(void **state)
{
    handle_table_t ht;
    int d = 0, c = 0;
    thing_t *t = new_thing(&d, &c);
    handle_t h;
    uint32_t rights;

    (void)state;
    handle_table_init(&ht, 16);
    assert_int_equal(handle_create(&ht, &t->hdr, H_ALL, &h), ST_OK);
    assert_int_equal(handle_rights(&ht, h, &rights), ST_OK);
    assert_int_equal(rights, thing_type.valid_rights);
    ob_unref(&t->hdr);
    handle_table_destroy(&ht);
    assert_int_equal(d, 1);
}

static void test_duplicate(void **state)
{
    handle_table_t src, dst;
    int d = 0, c = 0;
    thing_t *t = new_thing(&d, &c);
    handle_t h, h2, h3;
    uint32_t rights;

    (void)state;
    handle_table_init(&src, 16);
    handle_table_init(&dst, 16);
    assert_int_equal(handle_create(&src, &t->hdr, H_QUERY | H_READ, &h), ST_OK);
    /* No H_DUPLICATE on the source: refused. */
    assert_int_equal(handle_duplicate(&src, h, &dst, H_QUERY, &h2), ST_ACCESS_DENIED);
    assert_int_equal(handle_create(&src, &t->hdr, H_QUERY | H_READ | H_DUPLICATE, &h), ST_OK);
    /* More rights than the source holds: refused. */
    assert_int_equal(handle_duplicate(&src, h, &dst, H_WRITE, &h2), ST_ACCESS_DENIED);
    assert_int_equal(handle_duplicate(&src, h, &dst, H_QUERY, &h2), ST_OK);
    assert_int_equal(handle_rights(&dst, h2, &rights), ST_OK);
    assert_int_equal(rights, H_QUERY);
    assert_int_equal(handle_duplicate(&src, 999, &dst, H_QUERY, &h3), ST_INVALID_HANDLE);
    ob_unref(&t->hdr);
    handle_table_destroy(&src);
    assert_int_equal(d, 0); /* dst still holds it */
    assert_int_equal(c, 0);
    handle_table_destroy(&dst);
    assert_int_equal(d, 1);
    assert_int_equal(c, 1);
}

static void test_limit_and_growth(void **state)
{
    handle_table_t ht;
    int d = 0, c = 0;
    thing_t *t = new_thing(&d, &c);
    handle_t h[40];

    (void)state;
    handle_table_init(&ht, 40);
    for (int i = 0; i < 40; i++)
        assert_int_equal(handle_create(&ht, &t->hdr, H_QUERY, &h[i]), ST_OK);
    assert_int_equal(handle_create(&ht, &t->hdr, H_QUERY, &h[0]), ST_LIMIT);
    assert_int_equal(handle_close(&ht, h[5]), ST_OK);
    assert_int_equal(handle_create(&ht, &t->hdr, H_QUERY, &h[5]), ST_OK);
    ob_unref(&t->hdr);
    handle_table_destroy(&ht);
    assert_int_equal(d, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_lookup_close),
        cmocka_unit_test(test_bad_handle_values),
        cmocka_unit_test(test_stale_handle_after_reuse),
        cmocka_unit_test(test_rights_are_masked_by_type),
        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_limit_and_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
