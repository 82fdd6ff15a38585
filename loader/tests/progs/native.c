/* A program marked Persona-native with <loader/persona_note.h>: the test
 * checks that the real toolchain puts the note where the parser finds it. */
#include <loader/persona_note.h>

PERSONA_NOTE(BOOTIMG_PERS_NATIVE);

int main(void)
{
    return 0;
}
