# title: parent -> child through a pipe (exercise 1)
echo "A pipe made before fork() is shared by parent and child; each closes the end"
echo "it does not use.  The child reads until read() returns 0: that happens once"
echo "the parent has closed the write end.   (source: tools/learn/examples/ex1_parent_child.c)"
echo
echo '$ ex1_parent_child'
ex1_parent_child
