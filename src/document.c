/*
 * document.c: what the page names, and the finished document made of it
 * (see document.h).
 */
#include <string.h>

#include <apr_strings.h>

#include "document.h"

void geotag_findings_init(geotag_findings *f, apr_pool_t *pool, int entities,
                          int about, int mentions, int figures)
{
    apr_size_t slots = 16, i;

    memset(f, 0, sizeof(*f));
    while (slots < (apr_size_t)entities * 2)
        slots <<= 1;
    f->slots = apr_palloc(pool, sizeof(geotag_slot) * slots);
    for (i = 0; i < slots; i++)
        f->slots[i].entity = -1;
    f->slot_mask = slots - 1;
    f->max_entities = entities;
    f->max_about = about;
    f->max_mentions = mentions;
    f->max_figures = figures;
    f->figures = apr_pcalloc(pool, sizeof(geotag_figure_fact) *
                                       (apr_size_t)(figures + 1));
}

/* The entity's place in the table: its slot, or the empty one where it
 * would go. */
static geotag_slot *probe(const geotag_findings *f, int entity)
{
    apr_size_t i = ((apr_uint32_t)entity * 2654435761u) & f->slot_mask;
    for (;;) {
        geotag_slot *slot = &f->slots[i];
        if (slot->entity == entity || slot->entity < 0)
            return slot;
        i = (i + 1) & f->slot_mask;
    }
}

geotag_slot *geotag_findings_slot(const geotag_findings *f, int entity)
{
    geotag_slot *slot = probe(f, entity);
    return slot->entity == entity ? slot : NULL;
}

geotag_slot *geotag_findings_add(geotag_findings *f, int entity)
{
    geotag_slot *slot = probe(f, entity);
    if (slot->entity == entity)
        return slot;
    if (f->n_entities >= f->max_entities)
        return NULL;
    slot->entity = entity;
    slot->flags = 0;
    slot->order = f->next_order++;
    f->n_entities++;
    return slot;
}

int geotag_findings_entities(const geotag_findings *f)
{
    return f->n_entities;
}

void geotag_findings_add_figure(geotag_findings *f, const geotag_figure *fig)
{
    geotag_figure_fact *fact;
    int i;
    if (fig->kind == GEOTAG_FIGURE_DATE)
        return;
    if (fig->kind == GEOTAG_FIGURE_NUMBER && !fig->unit)
        return;
    if (fig->kind == GEOTAG_FIGURE_MONEY && !fig->currency)
        return;
    for (i = 0; i < f->n_figures; i++) {
        fact = &f->figures[i];
        if (fact->kind == fig->kind && strcmp(fact->value, fig->value) == 0 &&
            (fact->unit_text == NULL) == (fig->unit == NULL) &&
            (!fig->unit || strcmp(fact->unit_text, fig->unit->text) == 0))
            return;
    }
    if (f->n_figures >= f->max_figures)
        return;
    fact = &f->figures[f->n_figures++];
    fact->kind = fig->kind;
    apr_cpystrn(fact->value, fig->value, sizeof(fact->value));
    fact->unit_text = fig->unit ? fig->unit->text : NULL;
    fact->currency = fig->currency;
}

int geotag_findings_figures(const geotag_findings *f)
{
    return f->n_figures;
}

const geotag_document *geotag_findings_build(geotag_findings *f,
                                             apr_pool_t *pool,
                                             const geotag_document *subject)
{
    geotag_document *doc = &f->doc;
    int *about, *mentions, n_about = 0, n_mentions = 0, order;
    geotag_slot **by_order;
    apr_size_t i;

    if (f->built)
        return doc;
    about = apr_palloc(pool, sizeof(int) * (f->n_entities + 1));
    mentions = apr_palloc(pool, sizeof(int) * (f->n_entities + 1));
    /* slots in first-occurrence order: orders are dense from 0 */
    by_order = apr_pcalloc(pool, sizeof(geotag_slot *) * (f->next_order + 1));
    for (i = 0; i <= f->slot_mask; i++)
        if (f->slots[i].entity >= 0)
            by_order[f->slots[i].order] = &f->slots[i];
    for (order = 0; order < f->next_order; order++) {
        const geotag_slot *slot = by_order[order];
        if (!slot || !(slot->flags & GEOTAG_SLOT_FULL))
            continue;
        if ((slot->flags &
             (GEOTAG_SLOT_HEADLINE | GEOTAG_SLOT_SHORT_HEADLINE)) &&
            n_about < f->max_about)
            about[n_about++] = slot->entity;
        else if (n_mentions < f->max_mentions)
            mentions[n_mentions++] = slot->entity;
    }
    memset(doc, 0, sizeof(*doc));
    doc->lang = subject->lang;
    doc->subject_id = subject->subject_id;
    doc->subject_types = subject->subject_types;
    doc->n_subject_types = subject->n_subject_types;
    doc->about = about;
    doc->n_about = n_about;
    doc->mentions = mentions;
    doc->n_mentions = n_mentions;
    doc->figures = f->figures;
    doc->n_figures = f->n_figures;
    f->built = 1;
    return doc;
}

const geotag_document *geotag_findings_document(const geotag_findings *f)
{
    return f->built ? &f->doc : NULL;
}
