/* Unit tests for the object namespace (ob/namespace.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ob.h"

void *kzalloc(size_t n);
void kfree(void *p);

static void named_destroy(ob_header_t *o)
{
    kfree(o);
}

static const ob_type_t named_type = {
    .name = "Named", .valid_rights = H_ALL, .destroy = named_destroy};

static ob_header_t *new_obj(void)
{
    ob_header_t *o = kzalloc(sizeof(*o));
    ob_init(o, &named_type);
    return o;
}

static int setup(void **state)
{
    static bool done;

    (void)state;
    if (!done) {
        ob_namespace_init();
        assert_int_equal(ob_create_directory("\\Ports"), ST_OK);
        assert_int_equal(ob_create_directory("\\Device"), ST_OK);
        done = true;
    }
    return 0;
}

static void test_insert_and_lookup(void **state)
{
    ob_header_t *o = new_obj(), *found;

    (void)state;
    assert_int_equal(ob_insert("\\Ports\\Posix", o), ST_OK);
    assert_int_equal(ob_lookup("\\Ports\\Posix", &found), ST_OK);
    assert_ptr_equal(found, o);
    ob_unref(found);
    assert_string_equal(o->name, "Posix");
    /* Destruction removes the name. */
    ob_unref(o);
    assert_int_equal(ob_lookup("\\Ports\\Posix", &found), ST_NOT_FOUND);
}

static void test_errors(void **state)
{
    ob_header_t *o = new_obj(), *p = new_obj(), *found;
    char longname[100];

    (void)state;
    assert_int_equal(ob_insert("\\Ports\\Dos", o), ST_OK);
    assert_int_equal(ob_insert("\\Ports\\Dos", p), ST_EXISTS);
    assert_int_equal(ob_insert("\\Ports\\Dos\\Sub", p), ST_NOT_DIRECTORY);
    assert_int_equal(ob_insert("\\Nowhere\\X", p), ST_NOT_FOUND);
    assert_int_equal(ob_insert("Ports\\Relative", p), ST_INVALID_ARGUMENT);
    assert_int_equal(ob_insert("\\Ports\\", p), ST_INVALID_ARGUMENT);
    assert_int_equal(ob_lookup("\\Ports\\Missing", &found), ST_NOT_FOUND);
    assert_int_equal(ob_lookup("", &found), ST_INVALID_ARGUMENT);
    memset(longname, 'a', sizeof(longname));
    longname[0] = '\\';
    longname[sizeof(longname) - 1] = 0;
    assert_int_equal(ob_insert(longname, p), ST_NAME_TOO_LONG);
    /* An object can have only one name. */
    assert_int_equal(ob_insert("\\Ports\\Second", o), ST_EXISTS);
    ob_unref(o);
    ob_unref(p);
}

static void test_root_and_repeated_separators(void **state)
{
    ob_header_t *o = new_obj(), *found;

    (void)state;
    assert_int_equal(ob_lookup("\\", &found), ST_OK);
    assert_ptr_equal(found->type, &ob_directory_type);
    ob_unref(found);
    assert_int_equal(ob_insert("\\Device\\Disk0", o), ST_OK);
    assert_int_equal(ob_lookup("\\\\Device\\\\Disk0", &found), ST_OK);
    ob_unref(found);
    ob_unref(o);
}

static char listed[256];

static void collect(void *ctx, const char *name, ob_header_t *obj)
{
    (void)ctx;
    (void)obj;
    strcat(listed, name);
    strcat(listed, ",");
}

static void test_list_sorted(void **state)
{
    ob_header_t *a = new_obj(), *b = new_obj(), *c = new_obj();

    (void)state;
    assert_int_equal(ob_insert("\\Ports\\Win16", c), ST_OK);
    assert_int_equal(ob_insert("\\Ports\\Console", a), ST_OK);
    assert_int_equal(ob_insert("\\Ports\\Fs", b), ST_OK);
    listed[0] = 0;
    assert_int_equal(ob_list("\\Ports", collect, NULL), ST_OK);
    assert_string_equal(listed, "Console,Fs,Win16,");
    assert_int_equal(ob_list("\\Ports\\Fs", collect, NULL), ST_NOT_DIRECTORY);
    ob_remove_name(b);
    listed[0] = 0;
    assert_int_equal(ob_list("\\Ports", collect, NULL), ST_OK);
    assert_string_equal(listed, "Console,Win16,");
    ob_unref(a);
    ob_unref(b);
    ob_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_insert_and_lookup, setup),
        cmocka_unit_test_setup(test_errors, setup),
        cmocka_unit_test_setup(test_root_and_repeated_separators, setup),
        cmocka_unit_test_setup(test_list_sorted, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
