# escape=`
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2022 AS build

SHELL ["cmd", "/S", "/C"]

RUN msbuild /version `
# comment lines inside a continuation are dropped
    && nuget help `

    && echo after an empty line

WORKDIR C:\src
COPY *.sln .
RUN nuget restore
COPY . .
RUN msbuild /p:Configuration=Release /p:OutputPath=C:\out

FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022
WORKDIR /inetpub/wwwroot
COPY --from=build C:\out\_PublishedWebsites\Web\ .
