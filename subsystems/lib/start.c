/*
 * C start-up of native programs: argument vector, main(), exit. Every
 * native program links this file, so every one carries the Persona note
 * that marks it native for the boot-image builder and the shell.
 */
#include <loader/persona_note.h>
#include <native/runtime.h>

PERSONA_NOTE(BOOTIMG_PERS_NATIVE);

int main(int argc, char **argv, char **envp);

char **environ;
extern uint64_t *native_auxv_table;

__attribute__((noreturn)) void __native_start(uint64_t *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **e;

    environ = argv + argc + 1;
    for (e = environ; *e; e++)
        ;
    native_auxv_table = (uint64_t *)(e + 1);
    exit(main(argc, argv, environ));
}

__attribute__((noreturn)) void exit(int status)
{
    native_flush();
    sys_process_exit(status);
}
