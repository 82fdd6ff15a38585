/*
 * One-shot timers on a list sorted by deadline, run from the tick
 * interrupt. A callback may re-arm its own timer or wake threads; it must
 * not block.
 */
#include "ke.h"

static list_t timers = LIST_INIT(timers);

void ke_timer_set(ke_timer_t *t, uint64_t deadline_ns, void (*fn)(void *), void *arg)
{
    list_node_t *pos = &timers;

    if (t->link.next && list_node_linked(&t->link))
        list_remove(&t->link);
    t->deadline_ns = deadline_ns;
    t->fn = fn;
    t->arg = arg;
    list_for_each(it, &timers)
    {
        if (list_entry(it, ke_timer_t, link)->deadline_ns > deadline_ns)
            break;
        pos = it;
    }
    list_insert_after(pos, &t->link);
}

void ke_timer_run(uint64_t now)
{
    ke_timer_t *t;

    while ((t = list_first(&timers, ke_timer_t, link)) && t->deadline_ns <= now) {
        list_remove(&t->link);
        t->fn(t->arg);
    }
}
