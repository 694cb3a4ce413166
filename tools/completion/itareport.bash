# bash completion for itareport: commands, each command's options, and the values some
# options take (framework ids from the installed templates, --digits, --align, --lang,
# --font-family).
_itareport()
{
    local cur prev words cword
    _init_completion || return
    local commands="render text check new batch summary serve help"
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version -V --lang" -- "$cur"))
        return
    fi
    local command=${words[1]}
    case $prev in
    -o | --output | --font | --bold-font)
        _filedir
        return
        ;;
    --template | --data-dir)
        _filedir -d
        return
        ;;
    --digits)
        COMPREPLY=($(compgen -W "thai arabic" -- "$cur"))
        return
        ;;
    --align)
        COMPREPLY=($(compgen -W "left right center justify thai-distributed" -- "$cur"))
        return
        ;;
    --lang)
        COMPREPLY=($(compgen -W "th en" -- "$cur"))
        return
        ;;
    --font-family)
        COMPREPLY=($(compgen -W "sarabun laksaman" -- "$cur"))
        return
        ;;
    --framework)
        local ids
        ids=$(ls "$(dirname "$(command -v itareport)")/../share/itareport/templates" 2>/dev/null | grep '^ita-')
        COMPREPLY=($(compgen -W "$ids" -- "$cur"))
        return
        ;;
    esac
    local options
    case $command in
    render) options="-o --output --template --digits --data-dir --dump-layout --font --bold-font --font-family --lang --help" ;;
    text) options="-o --output --size --align --line-spacing --font --bold-font --font-family --data-dir --dump-layout --lang --help" ;;
    check) options="--json --template --data-dir --lang --help" ;;
    new) options="--framework --csv -o --output --force --data-dir --lang --help" ;;
    batch) options="-o --output -j --jobs --shard --timeout --force -q --quiet --template --data-dir --lang --help" ;;
    summary) options="-o --output --data-dir --lang --help" ;;
    serve) options="--listen --workers --queue --timeout --data-dir --lang --help" ;;
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    else
        case $command in
        text) _filedir txt ;;
        batch | summary) _filedir ;;
        *) _filedir '@(yaml|yml)' ;;
        esac
    fi
} && complete -F _itareport itareport
