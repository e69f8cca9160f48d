# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
# with a backtick escape, backslashes inside JSON still need JSON escaping
CMD ["C:\\app\\run.exe", "--log", "C:\\logs"]
ENTRYPOINT ["C:\app\bad-json-escape.exe"]
