# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022

# backslashes are plain path separators when the escape is a backtick
WORKDIR C:\Users\ContainerUser\app
COPY bin\Release\ C:\Users\ContainerUser\app\
RUN mkdir C:\data `
    && echo configured > C:\data\state.txt `
    && dir C:\data
USER ContainerUser
ENTRYPOINT ["C:\\Users\\ContainerUser\\app\\server.exe"]
