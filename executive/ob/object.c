/*
 * Object lifetime: reference counting and destruction through the type's
 * destroy method. A named object's namespace entry holds no reference; the
 * name is removed when the object is destroyed.
 */
#include "ob.h"

void ob_init(ob_header_t *obj, const ob_type_t *type)
{
    static uint64_t next_serial = 1;

    obj->serial = next_serial++;
    obj->type = type;
    obj->refcount = 1;
    obj->handle_count = 0;
    obj->parent = NULL;
    obj->name = NULL;
}

void ob_destroy(ob_header_t *obj)
{
    ob_remove_name(obj);
    obj->type->destroy(obj);
}
