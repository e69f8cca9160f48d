# escape=`
from mcr.microsoft.com/windows/nanoserver:ltsc2022
workdir C:\work
copy tool.exe .
run tool.exe --selftest `
    --verbose
entrypoint ["tool.exe"]
